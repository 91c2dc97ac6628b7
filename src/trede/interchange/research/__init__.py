"""The pseudonymised research export (issue 12 point 5, decisions 81-83)."""
