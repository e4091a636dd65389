"""One-stop counter indicators (Circular 01/2018/TT-VPCP, Decision 766/QĐ-TTg)."""
