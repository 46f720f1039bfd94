"""What operations sees of the running service: logs, metrics, health, version, error reports."""
