/*
 * Starts DynamoDB Local listening on 127.0.0.1 only. The jar has no option for the address and
 * its Jetty server binds every interface, which would let anyone on the network read and change
 * the tables. This launcher builds the server from the usual command-line options, sets the host
 * of each Jetty connector before it starts, and refuses to start if it cannot.
 * It also exits when its standard input closes: the Node process that started it holds the other
 * end of that pipe, so if that process dies (even by SIGKILL) the JVM does not stay behind serving
 * the tables and holding the port.
 * Run with the jar on the class path: java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java -port N ...
 */
import java.lang.reflect.Field;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    exitWhenParentCloses();
    Object proxy = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner")
        .getMethod("createServerFromCommandLineArgs", String[].class)
        .invoke(null, (Object) args);
    Field serverField = proxy.getClass().getDeclaredField("server");
    serverField.setAccessible(true);
    Object jetty = serverField.get(proxy);
    Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind to 127.0.0.1");
    for (Object connector : connectors) {
      connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
    }
    proxy.getClass().getMethod("start").invoke(proxy);
    proxy.getClass().getMethod("join").invoke(proxy);
  }

  private static void exitWhenParentCloses() {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Input is ignored: only the end of the stream matters.
        }
      } catch (java.io.IOException e) {
        // A broken pipe means the same as end of input: the parent is gone.
      }
      System.exit(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
