// Every building block ($cls: the IRI of yhd:BuildingBlock) and whether the profile of the
// region $region says the region has it or lacks it.
MATCH (b:BuildingBlock)
WHERE $cls IN b.types
RETURN b.uri AS b, b.notation AS notation, b.prefLabel_fi AS label,
       EXISTS { MATCH (p)-[:profileOf]->(:Resource {uri: $region})
                MATCH (p)-[:hasBuildingBlock]->(b) } AS has,
       EXISTS { MATCH (p)-[:profileOf]->(:Resource {uri: $region})
                MATCH (p)-[:lacksBuildingBlock]->(b) } AS lacks
