"""Everything that touches a workspace file: SQLite, migrations, config, the generator."""
