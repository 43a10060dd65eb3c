LOCUS       XP_000001                 64 aa            linear   ROD 15-NOV-2007
DEFINITION  test protein [Mus musculus].
ACCESSION   XP_000001
VERSION     XP_000001.2
DBSOURCE    REFSEQ: accession XM_000001.2
            class: standard.
KEYWORDS    RefSeq.
SOURCE      Mus musculus (house mouse)
  ORGANISM  Mus musculus
            Eukaryota; Metazoa; Chordata; Mammalia; Rodentia; Mus.
REFERENCE   1  (residues 1 to 64)
  AUTHORS   Doe,J.
  TITLE     Protein test
  JOURNAL   Unpublished
FEATURES             Location/Qualifiers
     source          1..64
                     /organism="Mus musculus"
     Protein         1..64
                     /product="test protein"
                     /calculated_mol_wt=7012
     Site            order(3..5,9,12..14)
                     /site_type="other"
     CDS             1..64
                     /coded_by="XM_000001.2:21..215"
ORIGIN      
        1 dltwhpkiya avlrkmisti viaqlcahsq dkiqniscmq nphaltdhsh lhirikleys
       61 ygis
//
