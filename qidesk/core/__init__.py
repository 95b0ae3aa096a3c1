"""The domain: plain Python objects, validation and the change summary. No Qt, no storage."""
