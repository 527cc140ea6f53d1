"""Everything that touches the disk: where files live, the encrypted vault, sync.

Implements the protocols of ``mus.ports``; never imports Flet.
"""
