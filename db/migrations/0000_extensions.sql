-- Trigram search for the directory (accent-free names are computed by the importer).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
