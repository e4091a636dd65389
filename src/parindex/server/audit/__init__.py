"""The audit log (a hash chain, checked by ``parindex audit verify``) and the guards that keep
published history from being changed or deleted."""
