/* The model-year rule of a vehicle (domain layer, value object, libc only). */
#include "domain/veiculo_ano.h"

int veiculo_ano_valido(long ano, int ano_atual)
{
	if (ano < VEICULO_ANO_MIN)
		return 0;
	/* Compared as ano - 1 <= ano_atual so that ano_atual + 1 cannot overflow. */
	return ano - 1 <= ano_atual;
}
