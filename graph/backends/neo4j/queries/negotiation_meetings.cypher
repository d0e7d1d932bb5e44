// The meetings ($cls: the IRI of yhd:Meeting) of the negotiating forums of the region
// $region, with the requirement each forum meets.
MATCH (forum)-[:negotiationType]->(req)
WHERE EXISTS { (forum)-[:inRegion]->(:Resource {uri: $region}) }
MATCH (meeting:Meeting)-[:meetingOf]->(forum)
WHERE $cls IN meeting.types
RETURN req.uri AS req, forum.uri AS forum, meeting.date AS date
