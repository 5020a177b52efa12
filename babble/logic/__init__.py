"""Logical forms (:mod:`babble.logic.forms`) and what runs and renders them."""
