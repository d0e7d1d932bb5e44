"""The stores and the analyses that run on them."""
