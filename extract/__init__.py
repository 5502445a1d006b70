"""PDF and text renditions → document model → typed records. Pure functions: no database, no writes."""
