"""The doit layer's former name, kept so study folders made by ``bristlenose init`` before it
was renamed ``bristlenose.pipeline`` still run; ``bristlenose init --force`` updates them."""
