using Inosync.Configuration;

namespace Inosync.Migration;

/// <summary>
/// Reads an old inosync config — a Python file of assignments — without running Python: it parses the subset such
/// files use and evaluates it the way <c>import</c> would, names in order.
/// </summary>
/// <remarks>
/// Implementation notes. Supported: <c>name = expr</c> (also chained <c>a = b = expr</c> and <c>name += expr</c>),
/// several statements on a line with <c>;</c>, a string on its own (a docstring), comments, line joining.
/// Expressions: string literals (any quotes, raw, implicit concatenation), integers and floats (unary <c>-</c>/<c>+</c>),
/// True/False/None, lists and tuples (multi-line, trailing commas), parentheses, names assigned earlier, and
/// <c>+</c> on two strings, two lists/tuples or two numbers. Everything else is refused with its position rather
/// than guessed at: a converter that silently drops an <c>if</c> produces a config that syncs the wrong tree.
/// Values are evaluated while parsing, so a name used before it is assigned fails exactly as Python would.
/// </remarks>
internal sealed class PythonConfigReader
{
    private readonly string _sourceName;
    private readonly PyTokenCursor _cursor;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (PyPosition Position, PyValue Value)> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);

    private PythonConfigReader(string sourceName, IReadOnlyList<PyToken> tokens)
    {
        _sourceName = sourceName;
        _cursor = new PyTokenCursor(tokens, sourceName);
    }

    /// <summary>Reads the config from the bytes of the file.</summary>
    /// <param name="utf8">The file's content.</param>
    /// <param name="sourceName">The file as the user named it, for messages.</param>
    /// <exception cref="ConfigException">The file is not a plain list of supported assignments (exit code 78).</exception>
    public static LegacyConfig Read(ReadOnlySpan<byte> utf8, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var source = PythonSource.Decode(utf8, sourceName);
        var reader = new PythonConfigReader(sourceName, PythonTokenizer.Tokenize(source));
        return reader.ReadModule();
    }

    private PyToken Current => _cursor.Current;

    private PyToken Peek(int offset) => _cursor.Peek(offset);

    private PyToken Advance() => _cursor.Advance();

    private LegacyConfig ReadModule()
    {
        while (Current.Kind != PyTokenKind.End)
        {
            ReadStatement();
            while (Current.IsOperator(";"))
            {
                Advance();
                if (Current.EndsStatement)
                {
                    break;
                }

                ReadStatement();
            }

            if (Current.Kind == PyTokenKind.Newline)
            {
                Advance();
            }
            else if (Current.Kind != PyTokenKind.End)
            {
                throw PythonUnsupported.Unexpected(Current, "after the value", _sourceName);
            }
        }

        var settings = _order
            .Select(name => new LegacySetting(name, _values[name].Position, _values[name].Value, _referenced.Contains(name)))
            .ToList();
        return new LegacyConfig(_sourceName, settings);
    }

    private void ReadStatement()
    {
        PyToken first = Current;
        PyToken next = Peek(1);
        if (first.Kind == PyTokenKind.Keyword && first.Text is not ("True" or "False" or "None"))
        {
            throw ConversionErrors.Unsupported(_sourceName, first.Position, PythonUnsupported.DescribeKeywordStatement(first, next));
        }

        _cursor.RejectExpressionKeywords();
        if (first.Kind == PyTokenKind.Name)
        {
            if (next.IsOperator("="))
            {
                ReadAssignment();
                return;
            }

            if (next.IsOperator("+="))
            {
                ReadAugmentedAssignment();
                return;
            }

            if (next.Kind == PyTokenKind.Operator && next.Text.EndsWith('=') && next.Text is not ("==" or "<=" or ">=" or "!="))
            {
                throw ConversionErrors.Unsupported(_sourceName, next.Position, $"the augmented assignment {next.Text}");
            }

            if (next.IsOperator(":"))
            {
                throw ConversionErrors.Unsupported(_sourceName, first.Position, $"the annotated assignment {first.Text}: …");
            }

            if (next.IsOperator(",") && _cursor.AssignsLater())
            {
                throw ConversionErrors.Unsupported(_sourceName, first.Position, "an assignment to several names at once (a, b = …)");
            }
        }

        PyValue value = ReadValue();
        bool ends = Current.EndsStatement;
        if (value is PyString && ends)
        {
            // A string on its own is a docstring or a comment in disguise: Python evaluates and drops it.
            return;
        }

        if (Current.IsOperator("=") || Current.IsOperator("+="))
        {
            throw ConversionErrors.Unsupported(_sourceName, Current.Position,
                $"an assignment to {value.Description} (only to a plain name)");
        }

        throw ends
            ? ConversionErrors.Unsupported(_sourceName, first.Position, "an expression that is not assigned to a name")
            : PythonUnsupported.Unexpected(Current, "after the value", _sourceName);
    }

    private void ReadAssignment()
    {
        var targets = new List<PyToken>();
        while (Current.Kind == PyTokenKind.Name && Peek(1).IsOperator("="))
        {
            targets.Add(Advance());
            Advance();
        }

        if (Current.Kind == PyTokenKind.Keyword && Current.Text is "True" or "False" or "None" && Peek(1).IsOperator("="))
        {
            throw ConversionErrors.Invalid(_sourceName, Current.Position, $"cannot assign to {Current.Text}");
        }

        PyValue value = ReadValue();
        foreach (PyToken target in targets)
        {
            Assign(target, value);
        }
    }

    private void ReadAugmentedAssignment()
    {
        PyToken target = Advance();
        PyToken op = Advance();
        // Not a use of the name for IsReferenced: extending a setting does not make it a helper.
        PyValue current = Lookup(target, markReferenced: false);
        PyValue right = ReadValue();
        Assign(target, PythonArithmetic.Add(current, right, op.Position, _sourceName));
    }

    private void Assign(PyToken target, PyValue value)
    {
        if (!_values.ContainsKey(target.Text))
        {
            _order.Add(target.Text);
        }

        _values[target.Text] = (target.Position, value);
    }

    /// <summary>An expression, or a tuple without parentheses (<c>rnodes = "a:", "b:"</c>).</summary>
    private PyValue ReadValue()
    {
        PyValue first = ReadExpression();
        if (!Current.IsOperator(","))
        {
            return first;
        }

        var items = new List<PyValue> { first };
        while (Current.IsOperator(","))
        {
            Advance();
            if (Current.EndsStatement || Current.IsOperator("="))
            {
                break;
            }

            items.Add(ReadExpression());
        }

        return new PyList(first.Position, items, IsTuple: true);
    }

    private PyValue ReadExpression()
    {
        PyValue left = ReadUnary();
        while (Current.IsOperator("+"))
        {
            PyToken op = Advance();
            PyValue right = ReadUnary();
            left = PythonArithmetic.Add(left, right, op.Position, _sourceName);
        }

        return left;
    }

    private PyValue ReadUnary()
    {
        if (Current.IsOperator("-") || Current.IsOperator("+"))
        {
            PyToken op = Advance();
            PyValue operand = ReadUnary();
            bool negate = op.Text == "-";
            return operand switch
            {
                PyInteger i when negate => new PyInteger(op.Position, -i.Value),
                PyFloat f when negate => new PyFloat(op.Position, -f.Value),
                PyInteger or PyFloat => operand with { Position = op.Position },
                _ => throw ConversionErrors.Value(_sourceName, op.Position,
                    $"unary {op.Text} needs a number, not {operand.Description}"),
            };
        }

        if (Current.IsOperator("~") || Current.Is(PyTokenKind.Keyword, "not"))
        {
            throw ConversionErrors.Unsupported(_sourceName, Current.Position, $"the operator {Current.Text}");
        }

        return ReadAtom();
    }

    private PyValue ReadAtom()
    {
        PyToken token = Current;
        PyValue value;
        switch (token.Kind)
        {
            case PyTokenKind.String:
                value = ReadStrings();
                break;
            case PyTokenKind.Number:
                value = Advance().Value!;
                break;
            case PyTokenKind.Keyword when token.Text is "True" or "False":
                Advance();
                value = new PyBool(token.Position, token.Text == "True");
                break;
            case PyTokenKind.Keyword when token.Text == "None":
                Advance();
                value = new PyNone(token.Position);
                break;
            case PyTokenKind.Keyword when token.Text is "lambda" or "await" or "yield":
                throw ConversionErrors.Unsupported(_sourceName, token.Position, $"a {token.Text} expression");
            case PyTokenKind.Name:
                _cursor.RejectPostfix(_cursor.DescribeDottedName(), token.Position);
                Advance();
                value = Lookup(token);
                break;
            case PyTokenKind.Operator when token.Text == "[":
                value = ReadSequence("]", isTuple: false);
                break;
            case PyTokenKind.Operator when token.Text == "(":
                value = ReadParenthesized();
                break;
            case PyTokenKind.Operator when token.Text == "{":
                throw ConversionErrors.Unsupported(_sourceName, token.Position, "a dict or set literal {…}");
            case PyTokenKind.Operator when token.Text == "`":
                throw ConversionErrors.Unsupported(_sourceName, token.Position, "a Python 2 backquote expression `…`");
            default:
                throw token.Kind is PyTokenKind.Newline or PyTokenKind.End
                    ? ConversionErrors.Invalid(_sourceName, token.Position, "expected a value, found the end of the line")
                    : ConversionErrors.Invalid(_sourceName, token.Position, $"expected a value, found {token.Describe()}");
        }

        _cursor.RejectPostfix(null, token.Position);
        return value;
    }

    /// <summary>Adjacent literals are one string in Python: <c>"a" "b"</c> is <c>"ab"</c>.</summary>
    private PyString ReadStrings()
    {
        var first = (PyString)Advance().Value!;
        string text = first.Value;
        while (Current.Kind == PyTokenKind.String)
        {
            text += ((PyString)Advance().Value!).Value;
        }

        return first with { Value = text };
    }

    private PyList ReadSequence(string close, bool isTuple, PyValue? first = null, PyPosition? start = null)
    {
        PyPosition at = start ?? Advance().Position;
        var items = new List<PyValue>();
        if (first is not null)
        {
            items.Add(first);
            ExpectSeparator(close);
        }

        while (!Current.IsOperator(close))
        {
            items.Add(ReadExpression());
            ExpectSeparator(close);
        }

        Advance();
        return new PyList(at, items, isTuple);
    }

    private void ExpectSeparator(string close)
    {
        if (Current.IsOperator(","))
        {
            Advance();
        }
        else if (!Current.IsOperator(close))
        {
            throw PythonUnsupported.Unexpected(Current, $"in the {(close == "]" ? "list" : "tuple")}", _sourceName);
        }
    }

    /// <summary><c>(x)</c> is x; <c>()</c>, <c>(x,)</c> and <c>(x, y)</c> are tuples.</summary>
    private PyValue ReadParenthesized()
    {
        PyPosition at = Advance().Position;
        if (Current.IsOperator(")"))
        {
            Advance();
            return new PyList(at, [], IsTuple: true);
        }

        PyValue first = ReadExpression();
        if (Current.IsOperator(")"))
        {
            Advance();
            return first;
        }

        return ReadSequence(")", isTuple: true, first, at);
    }

    private PyValue Lookup(PyToken name, bool markReferenced = true)
    {
        if (!_values.TryGetValue(name.Text, out var assigned))
        {
            throw ConversionErrors.Value(_sourceName, name.Position,
                $"name '{name.Text}' is not defined (a name must be assigned before it is used)");
        }

        if (markReferenced)
        {
            _referenced.Add(name.Text);
        }

        PyValue value = assigned.Value with { Position = name.Position };
        return value is PyString s ? s with { Names = [.. s.Names.Append(name.Text).Distinct(StringComparer.Ordinal)] } : value;
    }

}
