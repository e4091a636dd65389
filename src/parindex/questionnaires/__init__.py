"""Survey questionnaires shipped as data: one YAML file per questionnaire."""
