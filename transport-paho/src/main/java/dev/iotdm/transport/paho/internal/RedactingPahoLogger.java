package dev.iotdm.transport.paho.internal;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paho's logger interface on SLF4J, with every line redacted by {@link PahoLogging#redact(String)}.
 * Paho creates it by class name (hence public, with a public no-argument constructor) once
 * {@link PahoLogging#install()} has set the hook.
 *
 * <p>Levels: SEVERE is error, WARNING warn, INFO and CONFIG info, FINE debug, FINER and FINEST
 * trace. A message is Paho's catalog text for its key (the key itself when the catalog lacks it),
 * formatted with its inserts, or followed by them when it has no place for them: the inserts are
 * where packets (the CONNECT with its password) show up.
 *
 * <p>Thread-safety: thread-safe once initialised (Paho initialises it before use).
 */
public final class RedactingPahoLogger implements org.eclipse.paho.mqttv5.client.logging.Logger {

    private volatile Logger delegate = LoggerFactory.getLogger("org.eclipse.paho.mqttv5.client");
    private volatile ResourceBundle catalog;

    /** Made by Paho's logger factory. */
    public RedactingPahoLogger() {
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerID, String resourceName) {
        catalog = messageCatalog;
        if (loggerID != null && !loggerID.isBlank()) {
            delegate = LoggerFactory.getLogger(loggerID);
        }
    }

    @Override
    public void setResourceName(String logContext) {
        // The resource name (the client id) is part of Paho's own messages already.
    }

    @Override
    public boolean isLoggable(int level) {
        return switch (level) {
            case SEVERE -> delegate.isErrorEnabled();
            case WARNING -> delegate.isWarnEnabled();
            case INFO, CONFIG -> delegate.isInfoEnabled();
            case FINE -> delegate.isDebugEnabled();
            default -> delegate.isTraceEnabled();
        };
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg) {
        log(SEVERE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg) {
        log(WARNING, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg) {
        log(INFO, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg) {
        log(CONFIG, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg) {
        log(FINE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg) {
        log(FINER, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg) {
        log(FINEST, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts,
            Throwable ex) {
        log(level, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts,
            Throwable thrown) {
        if (!isLoggable(level)) {
            return;
        }
        String line = PahoLogging.redact(sourceClass + "." + sourceMethod + ": " + formatMessage(msg, inserts));
        switch (level) {
            case SEVERE -> delegate.error(line, thrown);
            case WARNING -> delegate.warn(line, thrown);
            case INFO, CONFIG -> delegate.info(line, thrown);
            case FINE -> delegate.debug(line, thrown);
            default -> delegate.trace(line, thrown);
        }
    }

    @Override
    public String formatMessage(String msg, Object[] inserts) {
        String text = msg;
        ResourceBundle c = catalog;
        if (c != null && msg != null) {
            try {
                text = c.getString(msg);
            } catch (MissingResourceException e) {
                text = msg; // Paho's trace keys are mostly absent from the slim catalog it ships
            }
        }
        if (inserts == null || inserts.length == 0) {
            return String.valueOf(text);
        }
        String formatted;
        try {
            formatted = MessageFormat.format(String.valueOf(text), inserts);
        } catch (IllegalArgumentException e) {
            formatted = String.valueOf(text);
        }
        return formatted.equals(text) ? formatted + " " + Arrays.toString(inserts) : formatted;
    }

    @Override
    public void dumpTrace() {
        // Paho's trace dump is a java.util.logging feature; SLF4J has no equivalent.
    }
}
