"""parindex: public-administration indices."""
