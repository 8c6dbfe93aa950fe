"""Reading and writing Vietnamese administrative documents. Pure Python: imports no Django."""
