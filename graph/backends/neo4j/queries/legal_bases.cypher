// The legal basis of every negotiation requirement ($cls: the IRI of yhd:NegotiationRequirement):
// each provision with a notation, and the acts it is part of with their Finnish label and notation.
MATCH (req:NegotiationRequirement)-[:legalBasis]->(law)
WHERE $cls IN req.types AND law.notation IS NOT NULL
RETURN req.uri AS req, law.uri AS law, law.notation AS notation,
       [(law)-[:isPartOf]->(act) WHERE act.prefLabel_fi IS NOT NULL AND act.notation IS NOT NULL
        | [act.prefLabel_fi, act.notation]] AS acts
