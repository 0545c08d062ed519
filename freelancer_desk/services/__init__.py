"""Services: one module per area; every public function is one transaction.

Functions take an open ``Database`` and validated input, and return plain data (detached
snapshots or dataclasses), never objects tied to a live session.
"""
