// The theme statements ($cls: the IRI of yhd:ThemeStatement) of the region $region: the theme
// each is about, hasRegionalNetwork (a negative fact when false) and each absentMunicipality.
MATCH (st:ThemeStatement)-[:inRegion]->(:Resource {uri: $region})
WHERE $cls IN st.types
MATCH (st)-[:aboutTheme]->(t:Resource)
RETURN DISTINCT st.uri AS st, t.uri AS t, st.hasRegionalNetwork AS net,
       [(st)-[:absentMunicipality]->(m) | m.uri] AS absent
