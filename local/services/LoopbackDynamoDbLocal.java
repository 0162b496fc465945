/*
 * Starts DynamoDB Local listening on 127.0.0.1 only. The jar has no option for the address and
 * its Jetty server binds every interface, which would let anyone on the network read and change
 * the tables. This launcher builds the server from the usual command-line options, sets the host
 * of each Jetty connector before it starts, and refuses to start if it cannot.
 * Run with the jar on the class path: java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java -port N ...
 */
import java.lang.reflect.Field;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
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
}
