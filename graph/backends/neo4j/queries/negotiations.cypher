// The negotiation requirements ($cls: the IRI of yhd:NegotiationRequirement) with their
// frequency, and the forums of the region $region that meet each.
MATCH (req:NegotiationRequirement)-[:frequency]->(f)
WHERE $cls IN req.types
RETURN req.uri AS req, req.prefLabel_fi AS label, f.prefLabel_en AS freq,
       [(forum)-[:negotiationType]->(req)
        WHERE EXISTS { (forum)-[:inRegion]->(:Resource {uri: $region}) }
        | [forum.uri, forum.prefLabel_fi]] AS forums
