"""The algorithm register: entries for Trede's algorithms in the Algoritmeregister's fields,
built from each algorithm's own declaration (`declaration.py`), the active policy preset
and the latest fairness figures. Page `/algoritmeregister/`, command `trede algorithms register`.
"""
