"""Registry replication across Regions and accounts, replication status, backfills,
DescribeRegistry."""
