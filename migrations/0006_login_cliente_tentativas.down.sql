DROP TABLE login_cliente_tentativas;
