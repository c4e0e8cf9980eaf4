"""autoapply's shared package: domain, services, ports, adapters and CLI."""

__version__ = "0.1.0"
