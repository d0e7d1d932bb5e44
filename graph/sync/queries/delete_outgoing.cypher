// Delete the outgoing relationships of the nodes $uris (keys), before they are rewritten.
UNWIND $uris AS u
MATCH (:Resource {uri: u})-[r]->()
DELETE r
