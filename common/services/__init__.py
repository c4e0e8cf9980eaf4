"""Business logic: services that take their ports as arguments and import no SDK."""
