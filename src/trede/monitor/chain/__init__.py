"""Chain attribution (ketentoerekening): each outflow to work counted once and credited to
one chain partner by a documented rule, so partners' figures add up to the outflow to work
of `trede monitor flows` without duplicates (decision 80)."""
