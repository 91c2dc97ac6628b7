"""The quarterly council report (`trede report council`): stock, flows and trajectories
of one quarter as tables with row and column totals and complementary suppression
(trede.utils.disclosure.protect_table), written as HTML and PDF (WeasyPrint)."""
