"""Placements and their aftercare (issue 10, point 7): recorded from the client file or a
hired voordracht, corrected with a reason, the nazorg contacts at the preset's months, the
end of a proefplaatsing, and the draaideur on the consultant's worklist (decisions 174-178)."""
