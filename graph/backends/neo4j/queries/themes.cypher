// The themes of the schemes $schemes (IRIs), with the schemes' and the themes' labels
// ($cls: the IRI of yhd:Theme).
MATCH (sc:Resource)
WHERE sc.uri IN $schemes
MATCH (t:Theme)-[:inScheme]->(sc)
WHERE $cls IN t.types
RETURN DISTINCT sc.uri AS scheme, sc.prefLabel_en AS sl, t.uri AS theme,
       t.prefLabel_fi AS fi, t.prefLabel_en AS en
