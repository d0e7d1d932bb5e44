// The profiles of the region $region, with their properties: the yes/no facts among them
// (hasStrategicAgreement...) are picked in Python.
MATCH (p:Resource)-[:profileOf]->(:Resource {uri: $region})
RETURN DISTINCT p.uri AS p, properties(p) AS props
