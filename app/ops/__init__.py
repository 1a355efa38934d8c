"""Operating the appliance for years: backups, integrity, retention, TLS, metrics, upgrades."""
