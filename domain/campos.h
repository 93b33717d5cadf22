/*
 * What every entity shares (domain layer, no I/O): the sizes of a person's or company's name, an
 * e-mail address and a timestamp, and how typed fields apply (create, replace, change).
 */
#ifndef OFICINA_DOMAIN_CAMPOS_H
#define OFICINA_DOMAIN_CAMPOS_H

#define NOME_MIN        3
#define NOME_MAX        120 /* code points */
#define NOME_BYTES      (NOME_MAX * 4 + 1)
#define EMAIL_BYTES     255
#define TIMESTAMP_BYTES 32 /* RFC 3339 UTC, e.g. 2026-11-23T14:30:00Z */

/* How the fields a user typed apply to an entity (every *_aplicar of the domain). */
enum campos_modo {
	CAMPOS_CRIAR,      /* every required field must be given; optional ones default to empty */
	CAMPOS_SUBSTITUIR, /* PUT: like CRIAR, and a missing optional field is cleared */
	CAMPOS_ALTERAR,    /* PATCH: only the given fields change */
};

#endif
