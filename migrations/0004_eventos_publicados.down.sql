DROP TABLE mensagens_processadas;
DROP INDEX eventos_publicados;
DROP TRIGGER eventos_notificar ON eventos;
DROP FUNCTION eventos_notificar();
