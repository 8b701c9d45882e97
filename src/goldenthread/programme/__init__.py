"""Programme delivery: programmes, phases, workstreams and actions with a RAG the rules explain,
the benefits register, the risk register and quarterly updates (docs/guide/programme.md)."""
