// The sources cited by what is in the region $region or profiles it; titles read in Python.
MATCH (:Resource {uri: $region})<-[:inRegion|profileOf]-(x)-[:source]->(src)
RETURN DISTINCT src.uri AS src, properties(src) AS props
