/*
 * The model year of a vehicle (domain layer, value object, libc only). The current year is a
 * parameter rather than read from the clock, so the rule stays pure and testable; the application
 * layer passes the year from its clock port.
 */
#ifndef OFICINA_DOMAIN_VEICULO_ANO_H
#define OFICINA_DOMAIN_VEICULO_ANO_H

#define VEICULO_ANO_MIN 1886 /* Benz Patent-Motorwagen, the first car */

/*
 * 1 when VEICULO_ANO_MIN <= ano <= ano_atual + 1, else 0. Next year is allowed because new cars
 * are sold as the following model year well before it starts.
 */
int veiculo_ano_valido(long ano, int ano_atual);

#endif
