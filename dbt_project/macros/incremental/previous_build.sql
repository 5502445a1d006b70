{#
  An incremental build starts from a copy of the published warehouse (gewh.refresh.transform).  Before any
  model runs, `keep_previous_build` (on-run-start) copies the two tables that say what that warehouse was built
  from, staging's documents and the current reports, into schema build_state; the int_build__ models compare
  them with this build's to find what changed, and on-run-end drops the schema, so that no published file holds
  it.  A build into an empty database finds no previous build, and every model is built in full.
#}
{% macro keep_previous_build() %}
    {%- set reports = adapter.get_relation(database=target.database, schema='intermediate', identifier='int_reports') -%}
    {%- set documents = adapter.get_relation(
        database=target.database, schema='staging', identifier='stg_core__documents'
    ) -%}
    drop schema if exists build_state cascade;
    create schema build_state;
    {%- if reports and documents %}
        create table build_state.previous_reports as select * from {{ reports }};
        create table build_state.previous_documents as select * from {{ documents }};
    {%- endif %}
{% endmacro %}

{#
  The table `keep_previous_build` kept as ``name``; when this build has no previous one, no rows of ``like``
  (the relation it copied), so that against an empty previous build everything counts as changed.
#}
{% macro previous_build_table(name, like) %}
    {#- Asked of the database, not dbt's cache of relations: the cache was filled before on-run-start made it. -#}
    {%- if execute -%}
        {%- set found = run_query(
            "select count(*) from information_schema.tables where table_catalog = '" ~ target.database
            ~ "' and table_schema = 'build_state' and table_name = '" ~ name ~ "'"
        ) -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {{ return('build_state.' ~ name) }}
        {%- endif -%}
    {%- endif -%}
    {{ return('(select * from ' ~ like ~ ' where false)') }}
{% endmacro %}

{# The rows of ``one`` that ``other`` lacks and those of ``other`` that ``one`` lacks (same columns). #}
{% macro differing_rows(one, other) %}
    (
        select * from {{ one }}
        except
        select * from {{ other }}
    )
    union all
    (
        select * from {{ other }}
        except
        select * from {{ one }}
    )
{% endmacro %}
