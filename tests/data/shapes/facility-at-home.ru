# The IRCS facility in Azerbaijan moved, claim and all, to Iran: the operating society's own
# country. The fact stays evidenced, so only the facility-abroad rule fires.
# base: bundled
# expect: facility:ircs-medical-facility-aze  rcsh:FacilityAbroadShape  sh:SPARQLConstraintComponent

PREFIX rcs:      <https://w3id.org/rcsgraph/ontology#>
PREFIX rdf:      <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX country:  <https://w3id.org/rcsgraph/id/country/>
PREFIX facility: <https://w3id.org/rcsgraph/id/facility/>

DELETE {
    facility:ircs-medical-facility-aze rcs:locatedIn country:aze .
    ?claim rdf:object country:aze .
}
INSERT {
    facility:ircs-medical-facility-aze rcs:locatedIn country:irn .
    ?claim rdf:object country:irn .
}
WHERE {
    ?claim rdf:subject facility:ircs-medical-facility-aze ;
        rdf:predicate rcs:locatedIn ;
        rdf:object country:aze .
}
