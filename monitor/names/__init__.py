"""Names that say whose a resource is: the ownership rule (name shapes and tags) and metric identity."""
