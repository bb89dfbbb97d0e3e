# The claim that the IRCS was established in 1922 is deleted; the fact itself stays, now
# without evidence.
# base: bundled
# expect: society:iranian-red-crescent-society  rcsh:EvidencedFactShape  sh:SPARQLConstraintComponent

PREFIX rcs:     <https://w3id.org/rcsgraph/ontology#>
PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX society: <https://w3id.org/rcsgraph/id/society/>

DELETE WHERE {
    ?claim rdf:subject society:iranian-red-crescent-society ;
        rdf:predicate rcs:founded ;
        ?property ?value .
}
