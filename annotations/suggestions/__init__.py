"""Suggested claims, the pure parts (no Django): an article's text as sentences with their
code-point spans (sentences.py), the cold-start cue heuristic (heuristic.py), and the learned
scorer a desk's own marks train (model.py). services/suggestions.py stores and serves them."""
