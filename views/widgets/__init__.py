"""Small reusable pieces of the screens."""
