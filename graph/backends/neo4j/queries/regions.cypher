// The regions, each with its slug, code and names ($cls: the IRI of yhd:Region).
MATCH (r:Region)
WHERE $cls IN r.types
RETURN r.uri AS r, r.slug AS slug, r.notation AS code, r.prefLabel_fi AS fi, r.prefLabel_en AS en
