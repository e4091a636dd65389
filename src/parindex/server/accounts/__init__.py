"""Accounts, administrative units and roles scoped to units."""
