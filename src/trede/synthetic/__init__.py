"""The synthetic municipality: `trede generate` and `trede.synthetic.generator.generate()`.

- params: every calibrated number (calibration.md) and the instrument catalogue
- population: new persons and their recorded and hidden traits
- policy: referrals from recorded traits only (the assignment mechanism)
- engine: the month-by-month simulation with counterfactual clones (rng: common random numbers)
- simulate: sizing the municipality to exactly the requested persons
- groundtruth: the sample ATT per instrument from factual and counterfactual paths
- tables, labour, names: the interchange files
- generator: the folder, ground_truth.json and the summary

Pure python and numpy; no Django outside management/commands.
"""
