"""Citizens' feedback (PAKN) with handling deadlines and public answers."""
