"""Scoring: weights, vetoes, weighted scores, robustness, counterfactuals, deployment paths."""
