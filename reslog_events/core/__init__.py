"""Pieces every feature uses: column types, the API toolkit, tokens, Turkish text handling."""
