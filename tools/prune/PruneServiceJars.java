import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Shrinks the AWS SDK service-client jars of a Lambda's lib/ to what the function can execute (issue 6: the ec2 jar
 * alone is 26 MB, of which a handful of operations are used).
 *
 * <p>Why not ProGuard or maven-shade's minimizeJar: minimizeJar works per class, and the client class references every
 * operation, so it keeps 96% of ec2. ProGuard works per method but dispatches a virtual call to the overrides in every
 * subclass, instantiated or not: {@code Ec2Request.toBuilder()} alone keeps all 930 EC2 request classes. This tool does
 * rapid type analysis instead: a virtual call reaches only the overrides in classes that reachable code instantiates.
 *
 * <p>What is pruned: only jars whose classes all live under {@code software/amazon/awssdk/services/} (service clients).
 * Everything else (the function's own jar, atrest-core, the SDK runtime, the JDK) is left as it is and counts as live
 * code, so any reference from it into a service jar is kept. Kept classes keep all their fields; unreachable methods
 * and unreachable classes are dropped. Kept method bodies are copied unchanged.
 *
 * <p>Reflection the analysis cannot see, and the rule that keeps it:
 * <ul>
 *   <li>ServiceLoader ({@code META-INF/services}), the SDK's classpath interceptors ({@code execution.interceptors})
 *       and the GraalVM hints the SDK ships ({@code reflect-config.json}): the named classes are instantiated;</li>
 *   <li>classes loaded by name, e.g. the auth module loading {@code StsWebIdentityCredentialsProviderFactory}: any
 *       string constant in live code that names a class of a pruned jar instantiates that class;</li>
 *   <li>{@code Foo.class} literals: treated as reflectively instantiated (all constructors kept);</li>
 *   <li>enums: {@code values()}/{@code valueOf} kept, the SDK's {@code fromValue} reaches them through
 *       {@code Class.getEnumConstants()};</li>
 *   <li>library call-backs: in an instantiated class, every override of a method declared by a non-pruned supertype
 *       (toString, SdkPojo.sdkFields, Iterable.iterator, ...) is kept, since code we do not analyse may call it.</li>
 * </ul>
 * The classes every kept method mentions (in its code, descriptors, stack map frames and exception tables) are kept,
 * so the verifier never looks for a removed class. A class that can be initialised (JVMS 5.5: new, a static member,
 * a subclass, reflection) keeps its static initialiser; one that is only mentioned, say in a cast, gets an initialiser
 * that throws, so a path the analysis missed fails loudly instead of running with null statics. Finally the output is
 * re-read and every reference of every kept method is resolved again; a dangling one fails the build instead of a
 * Lambda invocation.
 *
 * <p>Usage: {@code java -cp asm.jar PruneServiceJars.java --lib DIR --root JAR... [--report FILE]}. Each pruned
 * {@code X.jar} in DIR is replaced by {@code X-pruned.jar}; a stale {@code -pruned} jar is removed first.
 */
public final class PruneServiceJars {

    static final String SERVICES = "software/amazon/awssdk/services/";
    static final String PRUNED_SUFFIX = "-pruned.jar";

    /** Header of any class in the universe (pruned, library or JDK). */
    static final class Info {
        final String name;
        final String superName;
        final String[] interfaces;
        final int access;
        final boolean program;
        /** name+desc -> access flags. */
        final Map<String, Integer> methods = new LinkedHashMap<>();
        final Map<String, Integer> fields = new HashMap<>();
        String outer;
        Info(String name, String superName, String[] interfaces, int access, boolean program) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces == null ? new String[0] : interfaces;
            this.access = access;
            this.program = program;
        }
        boolean isInterface() {
            return (access & Opcodes.ACC_INTERFACE) != 0;
        }
    }

    /** A reference made by a method body, recorded once when its class is parsed. */
    record Ref(int kind, String owner, String name, String desc) {}

    static final int NEW = 1, TYPE = 2, FIELD = 3, STATIC_FIELD = 16, STATIC = 4, SPECIAL = 5, VIRTUAL = 6, INTERFACE = 7, STRING = 8,
            CLASS_LITERAL = 9, H_STATIC = 10, H_SPECIAL = 11, H_NEW = 12, H_VIRTUAL = 13, H_INTERFACE = 14,
            DESC = 15, INIT = 17;

    // ------------------------------------------------------------------ universe
    final Map<String, Info> infos = new HashMap<>();
    final Map<String, byte[]> programBytes = new HashMap<>();
    final Map<String, Path> programJarOf = new HashMap<>();
    final Set<String> missing = new HashSet<>();

    // ------------------------------------------------------------------ analysis state
    final Set<String> liveClasses = new LinkedHashSet<>();
    final Set<String> instantiated = new LinkedHashSet<>();
    final Set<String> initialized = new HashSet<>();
    final Map<String, Set<String>> liveMethods = new HashMap<>();
    final Map<String, Map<String, List<Ref>>> bodies = new HashMap<>();
    /** name+desc -> owners of reachable invokevirtual/invokeinterface call sites with a program owner. */
    final Map<String, Set<String>> virtualCalls = new HashMap<>();
    /** name+desc -> instantiated classes whose program hierarchy declares it. */
    final Map<String, List<String>> candidates = new HashMap<>();
    final Set<String> dispatched = new HashSet<>();
    final Map<String, Set<String>> supertypesCache = new HashMap<>();
    final Map<String, String> reason = new HashMap<>();
    final Deque<Runnable> work = new ArrayDeque<>();
    final Map<String, String> reflectiveKeeps = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        Path lib = null;
        Path report = null;
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lib" -> lib = Path.of(args[++i]);
                case "--root" -> roots.add(Path.of(args[++i]));
                case "--report" -> report = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (lib == null || !Files.isDirectory(lib)) {
            throw new IllegalArgumentException("--lib DIR is required and must exist: " + lib);
        }
        new PruneServiceJars().run(lib, roots, report);
    }

    void run(Path lib, List<Path> roots, Path reportFile) throws IOException {
        long start = System.nanoTime();
        try (Stream<Path> s = Files.list(lib)) {
            for (Path stale : s.filter(p -> p.getFileName().toString().endsWith(PRUNED_SUFFIX)).toList()) {
                Files.delete(stale);
            }
        }
        List<Path> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        List<Path> programJars = new ArrayList<>();
        List<Path> libraryJars = new ArrayList<>(roots);
        for (Path jar : jars) {
            (isServiceJar(jar) ? programJars : libraryJars).add(jar);
        }
        if (programJars.isEmpty()) {
            System.out.println("prune: no AWS SDK service jar in " + lib);
            return;
        }
        for (Path jar : programJars) {
            readJar(jar, true);
        }
        for (Path jar : libraryJars) {
            readJar(jar, false);
        }
        for (Path jar : programJars) {
            readReflectionHints(jar);
        }
        // Every method of every non-pruned class is treated as live: scan what it references in the pruned jars.
        for (Path jar : libraryJars) {
            scanRoots(jar);
        }
        drain();

        Map<Path, long[]> sizes = new LinkedHashMap<>();
        for (Path jar : programJars) {
            Path out = lib.resolve(jar.getFileName().toString().replaceFirst("\\.jar$", PRUNED_SUFFIX));
            sizes.put(jar, writePruned(jar, out));
        }
        List<String> dangling = verify(programJars, lib);
        for (Path jar : programJars) {
            Files.delete(jar);
        }
        String summary = report(sizes, dangling, (System.nanoTime() - start) / 1_000_000, reportFile);
        System.out.print(summary);
        if (!dangling.isEmpty()) {
            throw new IllegalStateException("pruned jars have " + dangling.size() + " dangling references; see "
                    + reportFile);
        }
    }

    static boolean isServiceJar(Path jar) throws IOException {
        if (jar.getFileName().toString().startsWith("atrest-")) {
            return false;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            boolean any = false;
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                String name = it.nextElement().getName();
                if (name.endsWith(".class")) {
                    if (!name.startsWith(SERVICES)) {
                        return false;
                    }
                    any = true;
                }
            }
            return any;
        }
    }

    void readJar(Path jar, boolean program) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                String n = e.getName();
                // Multi-release variants and module descriptors do not matter to the hierarchy.
                if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                Info info = header(bytes, program);
                if (infos.containsKey(info.name)) {
                    continue; // first on the classpath wins, as in the Lambda class loader (lib/ in order)
                }
                infos.put(info.name, info);
                if (program) {
                    programBytes.put(info.name, bytes);
                    programJarOf.put(info.name, jar);
                }
            }
        }
    }

    static Info header(byte[] bytes, boolean program) {
        ClassReader reader = reader(bytes);
        Info[] holder = new Info[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String sig, String superName, String[] itfs) {
                holder[0] = new Info(name, superName, itfs, access, program);
            }
            @Override
            public void visitInnerClass(String name, String outerName, String innerName, int access) {
                if (name.equals(holder[0].name) && outerName != null) {
                    holder[0].outer = outerName;
                }
            }
            @Override
            public void visitOuterClass(String owner, String name, String descriptor) {
                holder[0].outer = owner;
            }
            @Override
            public FieldVisitor visitField(int access, String name, String desc, String sig, Object value) {
                holder[0].fields.put(name + desc, access);
                return null;
            }
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                holder[0].methods.put(name + desc, access);
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return holder[0];
    }

    /**
     * Only reads (the pruned SDK jars are Java 8 classes and are the only ones rewritten), so a class file newer than
     * this ASM knows, such as the running JDK's own, is read as if it were Java 21: headers and code are the same.
     */
    static ClassReader reader(byte[] bytes) {
        try {
            return new ClassReader(bytes);
        } catch (IllegalArgumentException tooNew) {
            byte[] copy = bytes.clone();
            copy[4] = 0; // minor version (0xFFFF marks preview features)
            copy[5] = 0;
            copy[6] = 0;
            copy[7] = (byte) Opcodes.V21;
            return new ClassReader(copy);
        }
    }

    /** JDK classes are read on demand from the running JDK; everything else was read from the jars. */
    Info info(String name) {
        Info info = infos.get(name);
        if (info != null || missing.contains(name)) {
            return info;
        }
        try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
            if (in != null) {
                info = header(in.readAllBytes(), false);
                infos.put(name, info);
                return info;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        missing.add(name);
        return null;
    }

    boolean isProgram(String name) {
        Info i = infos.get(name);
        return i != null && i.program;
    }

    // ------------------------------------------------------------------ reflection hints shipped in the jars
    static final Pattern JSON_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    void readReflectionHints(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                String n = e.getName();
                boolean services = n.startsWith("META-INF/services/") && !e.isDirectory();
                boolean interceptors = n.endsWith("/execution.interceptors");
                boolean graal = n.startsWith("META-INF/native-image/") && n.endsWith("reflect-config.json");
                if (!services && !interceptors && !graal) {
                    continue;
                }
                String text;
                try (InputStream in = zip.getInputStream(e)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                List<String> names = new ArrayList<>();
                if (graal) {
                    Matcher m = JSON_NAME.matcher(text);
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                } else {
                    for (String line : text.split("\n")) {
                        String l = line.replaceFirst("#.*", "").strip();
                        if (!l.isEmpty()) {
                            names.add(l);
                        }
                    }
                }
                for (String className : names) {
                    keepReflective(className.replace('.', '/'), jar.getFileName() + "!" + n);
                }
            }
        }
    }

    void keepReflective(String internalName, String why) {
        if (!isProgram(internalName)) {
            return;
        }
        reflectiveKeeps.putIfAbsent(internalName, why);
        work.add(() -> {
            instantiate(internalName, "reflection: " + why);
            for (String m : List.copyOf(infos.get(internalName).methods.keySet())) {
                if (m.startsWith("<init>(")) {
                    reach(internalName, m, "reflective constructor");
                }
            }
        });
    }

    // ------------------------------------------------------------------ roots
    void scanRoots(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                String n = e.getName();
                if (!n.endsWith(".class") || n.endsWith("module-info.class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                String from = jar.getFileName() + "!" + n;
                for (List<Ref> refs : parseBodies(bytes).values()) {
                    for (Ref r : refs) {
                        if (r.kind == STRING || touchesProgram(r)) {
                            process(r, from);
                        }
                    }
                }
            }
        }
        drain();
    }

    boolean touchesProgram(Ref r) {
        if (r.owner != null && isProgram(elementClass(r.owner))) {
            return true;
        }
        if (r.desc != null) {
            for (String t : descTypes(r.desc)) {
                if (isProgram(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ parsing method bodies
    /** method name+desc -> what its body (and signature) references. */
    static Map<String, List<Ref>> parseBodies(byte[] bytes) {
        Map<String, List<Ref>> result = new LinkedHashMap<>();
        reader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                List<Ref> refs = new ArrayList<>();
                result.put(name + desc, refs);
                refs.add(new Ref(DESC, null, null, desc));
                if (exc != null) {
                    for (String x : exc) {
                        refs.add(new Ref(TYPE, x, null, null));
                    }
                }
                return new RefCollector(refs);
            }
        }, ClassReader.SKIP_DEBUG);
        return result;
    }

    static final class RefCollector extends MethodVisitor {
        final List<Ref> refs;
        RefCollector(List<Ref> refs) {
            super(Opcodes.ASM9);
            this.refs = refs;
        }
        @Override
        public void visitTypeInsn(int opcode, String type) {
            refs.add(new Ref(opcode == Opcodes.NEW ? NEW : TYPE, type, null, null));
        }
        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String desc) {
            boolean isStatic = opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC;
            refs.add(new Ref(isStatic ? STATIC_FIELD : FIELD, owner, name, desc));
        }
        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            int kind = switch (opcode) {
                case Opcodes.INVOKESTATIC -> STATIC;
                case Opcodes.INVOKESPECIAL -> SPECIAL;
                case Opcodes.INVOKEINTERFACE -> INTERFACE;
                default -> VIRTUAL;
            };
            refs.add(new Ref(kind, owner, name, desc));
        }
        @Override
        public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
            refs.add(new Ref(DESC, null, null, desc));
            // A lambda's class implements the returned interface; initialising it initialises that interface when
            // the interface has default methods (JVMS 5.5).
            Type produced = Type.getReturnType(desc);
            if (produced.getSort() == Type.OBJECT) {
                refs.add(new Ref(INIT, produced.getInternalName(), null, null));
            }
            handle(bsm);
            for (Object a : args) {
                constant(a);
            }
        }
        @Override
        public void visitLdcInsn(Object value) {
            constant(value);
        }
        @Override
        public void visitMultiANewArrayInsn(String desc, int dims) {
            refs.add(new Ref(DESC, null, null, desc));
        }
        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (type != null) {
                refs.add(new Ref(TYPE, type, null, null));
            }
        }
        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            frameTypes(local, numLocal);
            frameTypes(stack, numStack);
        }
        void frameTypes(Object[] types, int n) {
            if (types == null) {
                return;
            }
            for (int i = 0; i < n && i < types.length; i++) {
                if (types[i] instanceof String s) {
                    refs.add(new Ref(TYPE, s, null, null));
                }
            }
        }
        void constant(Object c) {
            if (c instanceof String s) {
                refs.add(new Ref(STRING, null, s, null));
            } else if (c instanceof Type t) {
                if (t.getSort() == Type.METHOD) {
                    refs.add(new Ref(DESC, null, null, t.getDescriptor()));
                } else if (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY) {
                    refs.add(new Ref(CLASS_LITERAL, t.getInternalName(), null, null));
                }
            } else if (c instanceof Handle h) {
                handle(h);
            } else if (c instanceof ConstantDynamic cd) {
                refs.add(new Ref(DESC, null, null, cd.getDescriptor()));
                handle(cd.getBootstrapMethod());
                for (int i = 0; i < cd.getBootstrapMethodArgumentCount(); i++) {
                    constant(cd.getBootstrapMethodArgument(i));
                }
            }
        }
        void handle(Handle h) {
            int kind = switch (h.getTag()) {
                case Opcodes.H_INVOKESTATIC -> H_STATIC;
                case Opcodes.H_INVOKESPECIAL -> H_SPECIAL;
                case Opcodes.H_NEWINVOKESPECIAL -> H_NEW;
                case Opcodes.H_INVOKEVIRTUAL -> H_VIRTUAL;
                case Opcodes.H_INVOKEINTERFACE -> H_INTERFACE;
                case Opcodes.H_GETSTATIC, Opcodes.H_PUTSTATIC -> STATIC_FIELD;
                default -> FIELD;
            };
            refs.add(new Ref(kind, h.getOwner(), h.getName(), h.getDesc()));
        }
    }

    // ------------------------------------------------------------------ the analysis
    void drain() {
        while (!work.isEmpty()) {
            work.poll().run();
        }
    }

    void process(Ref r, String from) {
        switch (r.kind) {
            case DESC -> descTypes(r.desc).forEach(t -> liveType(t, from));
            case TYPE -> liveType(elementClass(r.owner), from);
            case NEW -> instantiate(r.owner, from);
            case CLASS_LITERAL -> {
                String c = elementClass(r.owner);
                if (isProgram(c) && !r.owner.startsWith("[")) {
                    keepReflective(c, "class literal in " + from);
                } else {
                    liveType(c, from);
                }
            }
            case STRING -> {
                String s = r.name;
                if (s.length() > SERVICES.length() && s.length() < 300) {
                    String internal = s.replace('.', '/');
                    if (internal.startsWith(SERVICES) && isProgram(internal)) {
                        keepReflective(internal, "class name string in " + from);
                    }
                }
            }
            case FIELD -> memberTypes(r, from);
            case INIT -> initialize(r.owner, from);
            case STATIC_FIELD -> {
                memberTypes(r, from);
                initialize(resolveField(r.owner, r.name + r.desc), from);
            }
            case STATIC, H_STATIC -> {
                memberTypes(r, from);
                for (String[] m : resolveMethod(r.owner, r.name + r.desc, false)) {
                    initialize(m[0], from);
                    reach(m[0], m[1], from);
                }
            }
            case SPECIAL, H_SPECIAL -> {
                memberTypes(r, from);
                if (r.name.equals("<init>")) {
                    reach(r.owner, r.name + r.desc, from);
                } else {
                    for (String[] m : resolveMethod(r.owner, r.name + r.desc, false)) {
                        reach(m[0], m[1], from);
                    }
                }
            }
            case H_NEW -> {
                memberTypes(r, from);
                instantiate(r.owner, from);
                reach(r.owner, r.name + r.desc, from);
            }
            case VIRTUAL, INTERFACE, H_VIRTUAL, H_INTERFACE -> {
                memberTypes(r, from);
                String owner = elementClass(r.owner);
                if (r.owner.startsWith("[")) {
                    return; // array clone(): a JDK method
                }
                // The call site links against the declaration its owner resolves to: that must survive.
                for (String[] m : resolveMethod(owner, r.name + r.desc, true)) {
                    reach(m[0], m[1], from);
                }
                virtualCall(owner, r.name + r.desc);
            }
            default -> throw new IllegalStateException("kind " + r.kind);
        }
    }

    void memberTypes(Ref r, String from) {
        liveType(elementClass(r.owner), from);
        descTypes(r.desc).forEach(t -> liveType(t, from));
    }

    void liveType(String name, String from) {
        if (name == null || !isProgram(name) || !liveClasses.add(name)) {
            return;
        }
        reason.put(name, from);
        Info info = infos.get(name);
        bodies.put(name, parseBodies(programBytes.get(name)));
        String self = "class " + name;
        if (info.superName != null) {
            liveType(info.superName, self);
        }
        for (String i : info.interfaces) {
            liveType(i, self);
        }
        if (info.outer != null) {
            liveType(info.outer, self); // getSimpleName()/getDeclaringClass() resolve the outer class
        }
    }

    /**
     * The class may be initialised (JVMS 5.5): new, a static member, reflection, or a subclass. Only then is its static
     * initialiser kept; a class that is merely mentioned (a cast, a descriptor) keeps a stub that throws instead.
     */
    void initialize(String name, String from) {
        if (name == null || !isProgram(name)) {
            return;
        }
        liveType(name, from);
        if (!initialized.add(name)) {
            return;
        }
        Info info = infos.get(name);
        String self = "initialisation of " + name;
        if (!info.isInterface()) {
            if (info.superName != null) {
                initialize(info.superName, self);
            }
            for (String s : supertypes(name)) {
                Info si = info(s);
                if (si != null && si.program && si.isInterface() && si.methods.values().stream()
                        .anyMatch(acc -> (acc & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0)) {
                    initialize(s, self);
                }
            }
        }
        if (info.methods.containsKey("<clinit>()V")) {
            reach(name, "<clinit>()V", self);
        }
        if ((info.access & Opcodes.ACC_ENUM) != 0) {
            String values = "values()[L" + name + ";";
            String valueOf = "valueOf(Ljava/lang/String;)L" + name + ";";
            if (info.methods.containsKey(values)) {
                reach(name, values, "enum constants are read reflectively");
            }
            if (info.methods.containsKey(valueOf)) {
                reach(name, valueOf, "Enum.valueOf is reflective");
            }
        }
    }

    void reach(String owner, String nameDesc, String from) {
        if (!isProgram(owner)) {
            return;
        }
        Info info = infos.get(owner);
        if (!info.methods.containsKey(nameDesc)) {
            return;
        }
        liveType(owner, from);
        if (!liveMethods.computeIfAbsent(owner, k -> new HashSet<>()).add(nameDesc)) {
            return;
        }
        List<Ref> refs = bodies.get(owner).get(nameDesc);
        String here = owner + "." + nameDesc;
        work.add(() -> {
            for (Ref r : refs) {
                process(r, here);
            }
        });
    }

    void instantiate(String name, String from) {
        if (!isProgram(name)) {
            return;
        }
        initialize(name, from);
        Info info = infos.get(name);
        if ((info.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT)) != 0 || !instantiated.add(name)) {
            return;
        }
        Set<String> supers = supertypes(name);
        Set<String> ownDeclared = new HashSet<>();
        for (String s : supers) {
            Info si = info(s);
            if (si == null) {
                continue;
            }
            for (var m : si.methods.entrySet()) {
                int acc = m.getValue();
                String nd = m.getKey();
                if ((acc & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) != 0 || nd.startsWith("<")) {
                    continue;
                }
                if (si.program) {
                    ownDeclared.add(nd);
                } else {
                    // Code outside the analysis (the SDK runtime, the JDK) may call any method its types declare.
                    dispatch(name, nd);
                }
            }
        }
        for (String nd : ownDeclared) {
            candidates.computeIfAbsent(nd, k -> new ArrayList<>()).add(name);
            Set<String> owners = virtualCalls.get(nd);
            if (owners != null) {
                for (String o : owners) {
                    if (supers.contains(o)) {
                        dispatch(name, nd);
                        break;
                    }
                }
            }
        }
    }

    void virtualCall(String owner, String nameDesc) {
        if (!isProgram(owner)) {
            return; // covered by the library call-back rule in instantiate()
        }
        if (!virtualCalls.computeIfAbsent(nameDesc, k -> new HashSet<>()).add(owner)) {
            return;
        }
        List<String> cs = candidates.get(nameDesc);
        if (cs != null) {
            for (String c : List.copyOf(cs)) {
                if (supertypes(c).contains(owner)) {
                    dispatch(c, nameDesc);
                }
            }
        }
    }

    void dispatch(String cls, String nameDesc) {
        if (!dispatched.add(cls + " " + nameDesc)) {
            return;
        }
        for (String[] target : select(cls, nameDesc)) {
            reach(target[0], target[1], "dispatch on " + cls);
        }
    }

    /** JVM selection for an object of class {@code cls}: class chain first, then default methods. */
    List<String[]> select(String cls, String nameDesc) {
        for (String c = cls; c != null; ) {
            Info i = info(c);
            if (i == null) {
                break;
            }
            Integer acc = i.methods.get(nameDesc);
            if (acc != null && (acc & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) == 0) {
                return List.<String[]>of(new String[] {c, nameDesc});
            }
            c = i.superName;
        }
        // Conservative for defaults: keep every non-abstract declaration among the superinterfaces.
        List<String[]> result = new ArrayList<>();
        for (String s : supertypes(cls)) {
            Info i = info(s);
            if (i != null && i.isInterface()) {
                Integer acc = i.methods.get(nameDesc);
                if (acc != null && (acc & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) == 0) {
                    result.add(new String[] {s, nameDesc});
                }
            }
        }
        return result;
    }

    /**
     * Method resolution (JVMS 5.4.3.3/5.4.3.4) from {@code owner}: the declarations a call site links against. For
     * interfaces all matching superinterface declarations are returned, a superset of what the JVM picks.
     */
    List<String[]> resolveMethod(String owner, String nameDesc, boolean includeInterfaces) {
        List<String[]> result = new ArrayList<>();
        for (String c = owner; c != null; ) {
            Info i = info(c);
            if (i == null) {
                return result;
            }
            if (i.methods.containsKey(nameDesc)) {
                result.add(new String[] {c, nameDesc});
                return result;
            }
            c = i.superName;
        }
        for (String s : supertypes(owner)) {
            Info i = info(s);
            if (i != null && i.isInterface() && i.methods.containsKey(nameDesc)) {
                result.add(new String[] {s, nameDesc});
            }
        }
        return result;
    }

    /** Field resolution (JVMS 5.4.3.2): the class or interface that declares it, which is what gets initialised. */
    String resolveField(String owner, String nameDesc) {
        Info i = info(elementClass(owner));
        if (i == null) {
            return null;
        }
        if (i.fields.containsKey(nameDesc)) {
            return i.name;
        }
        for (String itf : i.interfaces) {
            String r = resolveField(itf, nameDesc);
            if (r != null) {
                return r;
            }
        }
        return i.superName == null ? null : resolveField(i.superName, nameDesc);
    }

    Set<String> supertypes(String name) {
        Set<String> cached = supertypesCache.get(name);
        if (cached != null) {
            return cached;
        }
        Set<String> result = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(name);
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (!result.add(c)) {
                continue;
            }
            Info i = info(c);
            if (i == null) {
                continue;
            }
            if (i.superName != null) {
                todo.add(i.superName);
            }
            todo.addAll(List.of(i.interfaces));
        }
        supertypesCache.put(name, result);
        return result;
    }

    static String elementClass(String typeOrName) {
        if (typeOrName == null) {
            return null;
        }
        if (!typeOrName.startsWith("[")) {
            return typeOrName;
        }
        Type t = Type.getType(typeOrName).getElementType();
        return t.getSort() == Type.OBJECT ? t.getInternalName() : null;
    }

    static List<String> descTypes(String desc) {
        List<String> result = new ArrayList<>();
        if (desc == null) {
            return result;
        }
        Type t = Type.getType(desc);
        List<Type> types = new ArrayList<>();
        if (t.getSort() == Type.METHOD) {
            types.addAll(List.of(t.getArgumentTypes()));
            types.add(t.getReturnType());
        } else {
            types.add(t);
        }
        for (Type x : types) {
            Type e = x.getSort() == Type.ARRAY ? x.getElementType() : x;
            if (e.getSort() == Type.OBJECT) {
                result.add(e.getInternalName());
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ output
    /** Writes the pruned copy; returns {classes before, classes after, bytes before, bytes after}. */
    long[] writePruned(Path jar, Path out) throws IOException {
        long[] stats = new long[4];
        stats[2] = Files.size(jar);
        Set<String> keptEntries = new HashSet<>();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (ZipFile zip = new ZipFile(jar.toFile());
             ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(tmp))) {
            List<ZipEntry> entries = new ArrayList<>();
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                entries.add(it.nextElement());
            }
            Map<String, byte[]> contents = new LinkedHashMap<>();
            for (ZipEntry e : entries) {
                String n = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                    stats[0]++;
                    String cls = n.substring(0, n.length() - ".class".length());
                    if (!liveClasses.contains(cls) || !jar.equals(programJarOf.get(cls))) {
                        continue;
                    }
                    stats[1]++;
                    contents.put(n, rewrite(cls));
                } else {
                    try (InputStream in = zip.getInputStream(e)) {
                        contents.put(n, in.readAllBytes());
                    }
                }
                keptEntries.add(n);
            }
            for (ZipEntry e : entries) {
                String n = e.getName();
                boolean keep = e.isDirectory()
                        ? keptEntries.stream().anyMatch(k -> k.startsWith(n))
                        : contents.containsKey(n);
                if (!keep) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(n);
                copy.setTime(e.getTime());
                zos.putNextEntry(copy);
                if (!e.isDirectory()) {
                    zos.write(contents.get(n));
                }
                zos.closeEntry();
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        stats[3] = Files.size(out);
        return stats;
    }

    byte[] rewrite(String cls) {
        Set<String> keep = liveMethods.getOrDefault(cls, Set.of());
        ClassReader reader = new ClassReader(programBytes.get(cls));
        // No COMPUTE_* flags: bodies and their stack map frames are copied as they are; only the pool is rebuilt.
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                if (keep.contains(name + desc)) {
                    return super.visitMethod(access, name, desc, sig, exc);
                }
                if (name.equals("<clinit>")) {
                    // Judged never initialised: if that is ever wrong, fail loudly rather than run with null statics.
                    MethodVisitor mv = super.visitMethod(access, name, desc, null, null);
                    mv.visitCode();
                    mv.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
                    mv.visitInsn(Opcodes.DUP);
                    mv.visitLdcInsn(cls.replace('/', '.') + " was pruned as never initialised (tools/prune)");
                    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>",
                            "(Ljava/lang/String;)V", false);
                    mv.visitInsn(Opcodes.ATHROW);
                    mv.visitMaxs(3, 0);
                    mv.visitEnd();
                }
                return null;
            }
            @Override
            public void visitInnerClass(String name, String outerName, String innerName, int access) {
                // Entries naming removed classes would make getDeclaredClasses() fail: drop them.
                if (present(name) && (outerName == null || present(outerName))) {
                    super.visitInnerClass(name, outerName, innerName, access);
                }
            }
        }, 0);
        return writer.toByteArray();
    }

    boolean present(String name) {
        return !isProgram(name) || liveClasses.contains(name);
    }

    // ------------------------------------------------------------------ self-check
    /**
     * Re-reads the pruned jars and resolves every class, field and method that every kept method references, against
     * the pruned jars plus the untouched libraries and JDK. References that were already unresolvable in the original
     * jars (optional dependencies such as the CRT client) are not counted.
     */
    List<String> verify(List<Path> programJars, Path lib) throws IOException {
        Map<String, Info> out = new HashMap<>();
        Map<String, byte[]> outBytes = new HashMap<>();
        for (Path jar : programJars) {
            Path pruned = lib.resolve(jar.getFileName().toString().replaceFirst("\\.jar$", PRUNED_SUFFIX));
            try (ZipFile zip = new ZipFile(pruned.toFile())) {
                for (var it = zip.entries(); it.hasMoreElements(); ) {
                    ZipEntry e = it.nextElement();
                    if (!e.getName().endsWith(".class") || e.getName().startsWith("META-INF/")) {
                        continue;
                    }
                    byte[] b;
                    try (InputStream in = zip.getInputStream(e)) {
                        b = in.readAllBytes();
                    }
                    Info i = header(b, true);
                    out.put(i.name, i);
                    outBytes.put(i.name, b);
                }
            }
        }
        List<String> dangling = new ArrayList<>();
        for (var entry : outBytes.entrySet()) {
            String cls = entry.getKey();
            Info ci = out.get(cls);
            List<String> hier = new ArrayList<>();
            if (ci.superName != null) {
                hier.add(ci.superName);
            }
            hier.addAll(List.of(ci.interfaces));
            for (String h : hier) {
                if (isProgram(h) && !out.containsKey(h)) {
                    dangling.add(cls + ": supertype " + h);
                }
            }
            for (var body : parseBodies(entry.getValue()).entrySet()) {
                String where = cls + "." + body.getKey();
                for (Ref r : body.getValue()) {
                    checkRef(r, where, out, dangling);
                }
            }
        }
        return dangling;
    }

    void checkRef(Ref r, String where, Map<String, Info> out, List<String> dangling) {
        List<String> types = new ArrayList<>();
        if (r.owner != null) {
            types.add(elementClass(r.owner));
        }
        if (r.desc != null) {
            types.addAll(descTypes(r.desc));
        }
        for (String t : types) {
            if (t != null && isProgram(t) && !out.containsKey(t)) {
                dangling.add(where + ": class " + t);
                return;
            }
        }
        boolean method = switch (r.kind) {
            case STATIC, SPECIAL, VIRTUAL, INTERFACE, H_STATIC, H_SPECIAL, H_NEW, H_VIRTUAL, H_INTERFACE -> true;
            default -> false;
        };
        if (!method || r.owner.startsWith("[")) {
            return;
        }
        String nd = r.name + r.desc;
        // Only a regression if it resolved before pruning (optional dependencies such as the CRT never did).
        if (!resolves(r.owner, nd, c -> out.containsKey(c) ? out.get(c) : (isProgram(c) ? null : info(c)))
                && resolves(r.owner, nd, this::info)) {
            dangling.add(where + ": method " + r.owner + "." + nd);
        }
    }

    boolean resolves(String owner, String nameDesc, java.util.function.Function<String, Info> lookup) {
        for (String c : closure(owner, lookup)) {
            Info i = lookup.apply(c);
            if (i != null && i.methods.containsKey(nameDesc)) {
                return true;
            }
        }
        // Interface call sites may also resolve to java.lang.Object's public methods.
        Info object = info("java/lang/Object");
        return object != null && object.methods.containsKey(nameDesc);
    }

    static Set<String> closure(String name, java.util.function.Function<String, Info> lookup) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(name);
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (!seen.add(c)) {
                continue;
            }
            Info i = lookup.apply(c);
            if (i != null) {
                if (i.superName != null) {
                    todo.add(i.superName);
                }
                todo.addAll(List.of(i.interfaces));
            }
        }
        return seen;
    }

    // ------------------------------------------------------------------ report
    String report(Map<Path, long[]> sizes, List<String> dangling, long millis, Path reportFile) throws IOException {
        StringBuilder sb = new StringBuilder();
        long before = 0, after = 0;
        for (var e : sizes.entrySet()) {
            long[] s = e.getValue();
            before += s[2];
            after += s[3];
            sb.append(String.format("prune: %-28s %6d -> %5d classes  %8.2f -> %6.2f MiB%n",
                    e.getKey().getFileName(), s[0], s[1], s[2] / 1048576.0, s[3] / 1048576.0));
        }
        long stubs = liveClasses.stream()
                .filter(c -> !initialized.contains(c) && infos.get(c).methods.containsKey("<clinit>()V")).count();
        sb.append(String.format("prune: service jars %.2f -> %.2f MiB in %.1f s; %d classes kept only as types "
                        + "(initialiser stubbed); %d dangling references%n",
                before / 1048576.0, after / 1048576.0, millis / 1000.0, stubs, dangling.size()));
        if (reportFile != null) {
            Files.createDirectories(reportFile.toAbsolutePath().getParent());
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(reportFile))) {
                w.print(sb);
                w.println();
                w.println("# kept for reflection (class <- rule)");
                reflectiveKeeps.forEach((c, why) -> w.println(c + " <- " + why));
                w.println();
                w.println("# dangling references (must be empty)");
                dangling.forEach(w::println);
                w.println();
                w.println("# kept classes (class <- first reason)");
                new TreeMap<>(reason).forEach((c, why) -> w.println(c + " <- " + why));
            }
        }
        return sb.toString();
    }
}
